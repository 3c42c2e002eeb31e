import 'reflect-metadata';
import { RUNTIME_METADATA_ROUTES, routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { PlacementIntakeAppModule } from '../app.module';

/**
 * Routes without a decorator of ours that return no client data, each with the reason. The
 * locations and matching-rules routes are the provider's own configuration and occupancy
 * (residents as pseudonymous placement ids, never a title: R-LOCATION).
 */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
  'POST /locations': 'the provider’s own location profile (configuration)',
  'GET /locations': 'the provider’s own location profiles and occupancy counts',
  'GET /locations/:id':
    'the provider’s own location: occupancy and residents as placement ids, never a title',
  'PUT /locations/:id': 'the provider’s own location profile (configuration)',
  'GET /matching-rules': 'the provider’s own matching rules (configuration)',
  'PUT /matching-rules': 'the provider’s own matching rules (configuration)',
};

describe('placement-intake: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(PlacementIntakeAppModule);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    // Every route under /placements returns a placement or its candidates: all gated.
    const placements = routes.filter((r) => r.path.startsWith('/placements'));
    expect(placements.length).toBe(13);
    expect(placements.filter((r) => r.mark?.kind !== 'gated')).toEqual([]);
  });
});
