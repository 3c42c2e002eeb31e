import type { Provider } from '@nestjs/common';
import { dutchPublicHolidays, type IsPublicHoliday } from '@ketenlink/dates';

export const IS_PUBLIC_HOLIDAY = Symbol('IS_PUBLIC_HOLIDAY');
export type { IsPublicHoliday };

/** The Dutch public holidays (libs/dates, on `date-holidays`); tests may provide their own. */
export const publicHolidaysProvider: Provider = {
  provide: IS_PUBLIC_HOLIDAY,
  useFactory: dutchPublicHolidays,
};
