import 'reflect-metadata';
import { RUNTIME_METADATA_ROUTES, routesOf, ungatedRoutes } from '@ketenlink/disclosure';
import { HandoverAppModule } from '../app.module';

/** Routes of shared modules (no decorator of ours on them) that return no client data. */
const ALLOW = {
  ...RUNTIME_METADATA_ROUTES,
};

describe('handover: every HTTP route goes through the disclosure gate (ADR 0020)', () => {
  it('each route is @DisclosesClientData() or metadata-only with a reason', () => {
    const routes = routesOf(HandoverAppModule);
    expect(ungatedRoutes(routes, ALLOW)).toEqual([]);
    expect(
      routes
        .filter((r) => r.mark?.kind === 'gated')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(
      [
        'POST /handovers',
        'GET /handovers',
        'GET /handovers/:id',
        'GET /handovers/:id/package',
        'POST /handovers/:id/accept',
        'POST /handovers/:id/decline',
        'POST /handovers/:id/meeting',
        'POST /handovers/:id/meeting-held',
        'POST /handovers/:id/closing-report',
        'POST /handovers/:id/complete',
        'POST /handovers/:id/cancel',
      ].sort(),
    );
  });
});
