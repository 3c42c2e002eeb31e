import 'reflect-metadata';
import { routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { PlanReviewsAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  'GET /health/live': 'liveness probe: status only, public',
  'GET /health/ready': 'readiness probe: dependency status only, public',
  'GET /metrics': 'Prometheus metrics: counters without client data',
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
