import 'reflect-metadata';
import { RUNTIME_METADATA_ROUTES, routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { PartnerGatewayAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
};

describe('partner-gateway: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(PartnerGatewayAppModule);
    expect(routes.length).toBeGreaterThanOrEqual(14);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    expect(
      routes.filter((r) => r.mark?.kind === 'gated').map((r) => `${r.method} ${r.path}`),
    ).toEqual(['GET /partner/events/:id', 'GET /partner/trajectories/:id']);
  });
});
