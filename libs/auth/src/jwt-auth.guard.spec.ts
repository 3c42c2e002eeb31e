import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { IS_PUBLIC_KEY } from './auth.constants';
import { AuthModule } from './auth.module';
import { loadAuthConfig } from './auth-config';
import { CurrentPrincipal } from './current-principal.decorator';
import { mintDevToken } from './mint-dev-token';
import type { Principal } from './principal';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';

@Controller()
class ProbeController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Roles('coordinator', 'placement-officer')
  @Get('placements')
  placements() {
    return { placements: [] };
  }
}

@Roles('operator')
@Controller('ops')
class OperatorController {
  @Get('backlog')
  backlog() {
    return { backlog: 0 };
  }

  @Roles('auditor')
  @Get('audit')
  audit() {
    return { entries: [] };
  }
}

@Public()
@Controller('status')
class StatusController {
  @Get()
  status() {
    return { up: true };
  }
}

describe('AuthModule guards', () => {
  let dir: string;
  let keyFile: string;
  let app: INestApplication;
  const token = (roles: Parameters<typeof mintDevToken>[0]['roles'], ttlSeconds?: number) =>
    mintDevToken({ sub: 'carla', org: 'org-gemeente', roles, ttlSeconds, keyFile });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ketenlink-auth-guard-'));
    keyFile = join(dir, 'dev-key.json');
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(loadAuthConfig({ AUTH_LOCAL_KEY_FILE: keyFile }))],
      controllers: [ProbeController, OperatorController, StatusController],
    }).compile();
    moduleRef.useLogger(false);
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets @Public() routes through without a token', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
  });

  it('lets a @Public() controller through, under the metadata key other libraries share', async () => {
    await request(app.getHttpServer()).get('/status').expect(200, { up: true });
    expect(IS_PUBLIC_KEY).toBe('ketenlink:public');
    expect(Reflect.getMetadata(IS_PUBLIC_KEY, StatusController)).toBe(true);
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const res = await request(app.getHttpServer()).get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ketenlink"');
  });

  it('answers 401 invalid_token for a malformed header or a bad token', async () => {
    const malformed = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', 'Basic dXNlcjpwdw==')
      .expect(401);
    expect(malformed.headers['www-authenticate']).toMatch(/error="invalid_token"/);

    const expired = await token(['coordinator'], -120);
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(res.body.message).toBe('Token expired');
    expect(JSON.stringify(res.body)).not.toContain(expired);
  });

  it('puts the principal on the request', async () => {
    await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${await token(['support-worker'])}`)
      .expect(200, {
        kind: 'organisation',
        subject: 'carla',
        organisationId: 'org-gemeente',
        roles: ['support-worker'],
      });
  });

  it('answers 403 without one of the required roles', async () => {
    const res = await request(app.getHttpServer())
      .get('/placements')
      .set('Authorization', `Bearer ${await token(['support-worker', 'auditor'])}`)
      .expect(403);
    expect(res.body.message).toBe('Requires role: coordinator or placement-officer');
  });

  it('answers 200 with any one of the required roles', async () => {
    await request(app.getHttpServer())
      .get('/placements')
      .set('Authorization', `Bearer ${await token(['placement-officer'])}`)
      .expect(200);
  });

  it('lets handler roles replace controller roles', async () => {
    const operator = await token(['operator']);
    const auditor = await token(['auditor']);
    const server = app.getHttpServer();
    await request(server)
      .get('/ops/backlog')
      .set('Authorization', `Bearer ${operator}`)
      .expect(200);
    await request(server).get('/ops/backlog').set('Authorization', `Bearer ${auditor}`).expect(403);
    await request(server).get('/ops/audit').set('Authorization', `Bearer ${auditor}`).expect(200);
    await request(server).get('/ops/audit').set('Authorization', `Bearer ${operator}`).expect(403);
  });
});
