/**
 * Burgerservicenummer check (the "elfproef"): nine digits d1..d9 with
 * 9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9 ≡ 0 (mod 11).
 * Eight-digit numbers are historic BSNs written without their leading zero; we accept them
 * only in their nine-digit form so that one person has one spelling. 000000000 passes the
 * sum but is never issued, so it is refused.
 */
export function isValidBsn(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[0-9]{9}$/.test(value)) return false;
  if (/^0+$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
  sum -= Number(value[8]);
  return sum % 11 === 0;
}
