import 'reflect-metadata';
import { RUNTIME_METADATA_ROUTES, routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { AgreementsAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
};

describe('agreements: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(AgreementsAppModule);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    expect(
      routes
        .filter((r) => r.mark?.kind === 'gated')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([
      'GET /agreements/:id',
      'GET /agreements/:id/diff',
      'GET /me/agreement',
      'GET /trajectories/:trajectoryId/agreements',
      'GET /trajectories/:trajectoryId/incidents',
      'GET /trajectories/:trajectoryId/notifications',
      'GET /trajectories/:trajectoryId/violations',
      'POST /agreements/:id/activation',
      'POST /agreements/:id/amendments',
      'POST /agreements/:id/notifications',
      'POST /agreements/:id/signatures',
      'POST /agreements/:id/termination',
      'POST /agreements/:id/violations',
      'POST /incidents/:id/inspectorate-report',
      'POST /me/agreement/signature',
      'POST /notifications/:id/acknowledgement',
      'POST /trajectories/:trajectoryId/agreements',
      'POST /trajectories/:trajectoryId/incidents',
      'POST /trajectories/:trajectoryId/recorded-talks',
    ]);
  });
});
