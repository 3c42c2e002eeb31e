import 'reflect-metadata';
import { ROLES } from '@ketenlink/auth';
import {
  RUNTIME_METADATA_ROUTES,
  routesOf,
  TOKEN_ROLE_VIEWS,
  ungatedRoutes,
} from '@ketenlink/disclosure';
import { TrajectoryAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
};

describe('trajectory: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(TrajectoryAppModule);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    // The reads of client data are the gated ones.
    expect(
      routes.filter((r) => r.mark?.kind === 'gated').map((r) => `${r.method} ${r.path}`),
    ).toEqual([
      'GET /me/trajectory',
      'POST /trajectories',
      'GET /trajectories/:id',
      'GET /trajectories/:id/consents',
      'GET /trajectories/:id/identity',
      'GET /trajectories/:id/participants',
      'GET /trajectories/:id/timeline',
      'GET /trajectories/:id/titles',
    ]);
  });

  it('every token role libs/auth knows has a view row in the gate, except operator', () => {
    expect(Object.keys(TOKEN_ROLE_VIEWS).sort()).toEqual(
      ROLES.filter((r) => r !== 'operator').sort(),
    );
  });
});
