import { Body, Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { configureHttpEdge } from './configure-http-edge';
import { ProblemException } from './problem.exception';

class AddressDto {
  @IsString()
  postcode!: string;
}

class CreateTrajectoryDto {
  @IsString()
  clientRef!: string;

  @IsInt()
  @Min(0)
  priority!: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

const SECRET = 'db password is hunter2';

@Controller('trajectories')
class ProbeController {
  @Post()
  create(@Body() dto: CreateTrajectoryDto) {
    return { received: dto, isDto: dto instanceof CreateTrajectoryDto };
  }

  @Get('boom')
  boom(): never {
    throw new Error(SECRET);
  }

  @Get('conflict')
  conflict(): never {
    throw new ProblemException(
      409,
      'agreement-already-active',
      'Agreement already active',
      'One at a time.',
    );
  }
}

const PROBLEM_JSON = /^application\/problem\+json/;
const valid = { clientRef: 'c-1', priority: 2, address: { postcode: '1234AB' } };

describe('configureHttpEdge', () => {
  let app: INestApplication;
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    configureHttpEdge(app, { title: 'Probe API', version: '1.2.3', jsonBodyLimit: '1kb' });
    await app.init();
  });
  beforeEach(() => {
    errorLog = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => app?.close());

  const post = (body: unknown) =>
    request(app.getHttpServer())
      .post('/trajectories')
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('accepts a valid body and transforms it into the DTO', async () => {
    const res = await post(valid).expect(201);
    expect(res.body).toEqual({ received: valid, isDto: true });
  });

  it('answers an unknown field with 400 problem+json naming the field', async () => {
    const res = await post({ ...valid, bsn: '123456782' }).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toEqual({
      type: 'https://ketenlink.nl/problems/validation-error',
      title: 'Request validation failed',
      status: 400,
      detail: 'Invalid field(s): bsn',
      instance: '/trajectories',
      errors: [{ field: 'bsn', messages: ['property bsn should not exist'] }],
    });
    expect(JSON.stringify(res.body)).not.toContain('123456782');
  });

  it('answers wrong types with 400 listing every field, nested ones by path', async () => {
    const res = await post({ clientRef: 42, priority: 'high', address: { postcode: 7 } }).expect(
      400,
    );
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'clientRef',
      'priority',
      'address.postcode',
    ]);
    expect(res.body.errors[1].messages).toEqual(
      expect.arrayContaining(['priority must be an integer number']),
    );
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await post('{"clientRef": "c-1",').expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toEqual({
      type: 'https://ketenlink.nl/problems/malformed-json',
      title: 'Malformed JSON',
      status: 400,
      detail: 'The request body is not valid JSON.',
      instance: '/trajectories',
    });
  });

  it('answers an oversized body with 413 problem+json', async () => {
    const res = await post({ ...valid, clientRef: 'x'.repeat(2048) }).expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://ketenlink.nl/problems/payload-too-large',
      status: 413,
    });
  });

  it('hides an unexpected error behind a generic 500 and logs it', async () => {
    const res = await request(app.getHttpServer()).get('/trajectories/boom?x=1').expect(500);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toEqual({
      type: 'https://ketenlink.nl/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/trajectories/boom',
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    expect(errorLog.mock.calls.join('')).toContain(SECRET);
  });

  it('renders a ProblemException with its own type', async () => {
    const res = await request(app.getHttpServer()).get('/trajectories/conflict').expect(409);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toEqual({
      type: 'https://ketenlink.nl/problems/agreement-already-active',
      title: 'Agreement already active',
      status: 409,
      detail: 'One at a time.',
      instance: '/trajectories/conflict',
    });
  });

  it('renders Nest HTTP exceptions (unknown route) as problem+json', async () => {
    const res = await request(app.getHttpServer()).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://ketenlink.nl/problems/not-found',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    });
  });

  it('serves the OpenAPI document with a bearer scheme', async () => {
    const res = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(res.body.info).toMatchObject({ title: 'Probe API', version: '1.2.3' });
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    expect(res.body.paths['/trajectories']).toBeDefined();
    expect(res.body.components.schemas.ProblemDetails).toBeDefined();
  });
});
