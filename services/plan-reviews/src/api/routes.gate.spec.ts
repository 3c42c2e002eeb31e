import 'reflect-metadata';
import { RUNTIME_METADATA_ROUTES, routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { PlanReviewsAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
};

describe('plan-reviews: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(PlanReviewsAppModule);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    expect(
      routes
        .filter((r) => r.mark?.kind === 'gated')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([
      'GET /agenda',
      'GET /trajectories/:id/plans',
      'GET /trajectories/:id/progress-notes',
      'GET /trajectories/:id/risk-assessments',
      'POST /trajectories/:id/meetings',
      'POST /trajectories/:id/plans',
      'POST /trajectories/:id/progress-notes',
      'POST /trajectories/:id/risk-assessments',
    ]);
  });
});
