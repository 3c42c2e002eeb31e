import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SERVICES = join(__dirname, '..', '..', '..', 'services');

describe('every service has a route-enumeration test of its app module', () => {
  const services = readdirSync(SERVICES).filter((s) =>
    existsSync(join(SERVICES, s, 'src', 'app.module.ts')),
  );

  it('finds the services', () => {
    expect(services).toEqual(expect.arrayContaining(['placement-intake', 'trajectory']));
  });

  it.each(services)('%s: src/api/routes.gate.spec.ts enumerates its app module', (service) => {
    const spec = join(SERVICES, service, 'src', 'api', 'routes.gate.spec.ts');
    expect(existsSync(spec)).toBe(true);
    const text = readFileSync(spec, 'utf8');
    expect(text).toMatch(/routesOf\(\w+AppModule\)/);
    expect(text).toMatch(/ungatedRoutes\(/);
    expect(text).toMatch(/from '\.\.\/app\.module'/);
  });
});
