import { Body, Controller, Get, Post, Query, type INestApplication } from '@nestjs/common';
import { Public, Roles } from '@ketenlink/auth';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
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

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  previous?: AddressDto[];
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

class ListQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() limit?: number;
  @IsString() q!: string;
}

@Controller('items')
@Roles('auditor')
class ItemsController {
  @Get()
  list(@Query() q: ListQueryDto) {
    return q;
  }

  @Post()
  @Roles('referrer', 'coordinator')
  create(@Body() dto: CreateTrajectoryDto) {
    return dto;
  }

  @Get('open')
  @Public()
  open() {
    return {};
  }
}

const PROBLEM_JSON = /^application\/problem\+json/;
const valid = { clientRef: 'c-1', priority: 2, address: { postcode: '1234AB' } };

describe('configureHttpEdge', () => {
  let app: INestApplication;
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ProbeController, ItemsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    configureHttpEdge(app, { title: 'Probe API', version: '1.2.3', jsonBodyLimit: '1kb' });
    await app.listen(0, '127.0.0.1');
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
      detail: 'Invalid field(s): /bsn',
      instance: '/trajectories',
      errors: [{ pointer: '/bsn', message: 'property bsn should not exist' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('123456782');
  });

  it('answers wrong types with 400 listing every field, nested ones by path', async () => {
    const res = await post({ clientRef: 42, priority: 'high', address: { postcode: 7 } }).expect(
      400,
    );
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect([...new Set(pointers)]).toEqual(['/clientRef', '/priority', '/address/postcode']);
    expect(res.body.errors).toContainEqual({
      pointer: '/priority',
      message: 'priority must be an integer number',
    });
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

  it('lists per operation the roles, every 4xx answer and every query parameter', async () => {
    const { paths } = (await request(app.getHttpServer()).get('/openapi.json').expect(200)).body;
    const list = paths['/items'].get;
    expect(list['x-roles']).toEqual(['auditor']);
    expect(list.description).toContain('Roles allowed: auditor.');
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer' },
        }),
        expect.objectContaining({ name: 'q', in: 'query', required: true }),
      ]),
    );
    expect(Object.keys(list.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
    const create = paths['/items'].post;
    expect(create['x-roles']).toEqual(['referrer', 'coordinator']);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '409', '413', '415', '422']),
    );
    expect(create.responses['415'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ProblemDetails',
    });
    const open = paths['/items/open'].get;
    expect(open['x-public']).toBe(true);
    expect(open.responses['401']).toBeUndefined();
  });

  describe('hostile bodies: 4xx problem+json, the handler never runs', () => {
    const send = (contentType: string, body: string | Buffer) =>
      request(app.getHttpServer())
        .post('/trajectories')
        .set('Content-Type', contentType)
        .send(body);

    it.each([
      ['text/plain', JSON.stringify(valid)],
      ['application/x-www-form-urlencoded', 'clientRef=c-1&priority=2'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
      ['application/json; charset=utf-16', Buffer.from(JSON.stringify(valid), 'utf16le')],
      ['application/json; charset=iso-8859-1', JSON.stringify(valid)],
    ])('%s → 415', async (contentType, body) => {
      const res = await send(contentType, body).expect(415);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        status: 415,
        type: expect.stringMatching(/unsupported-media-type$/),
      });
    });

    it('UTF-16 bytes labelled as JSON → 400 malformed-json', async () => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const body = Buffer.from(`\ufeff${JSON.stringify(valid)}`, 'utf16le');
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `POST /trajectories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          );
          socket.end(body);
        });
        let text = '';
        socket.on('data', (d) => (text += d.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
        type: 'https://ketenlink.nl/problems/malformed-json',
      });
    });

    it('a gzip body → 415', async () => {
      const res = await request(app.getHttpServer())
        .post('/trajectories')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send(Buffer.from([0x1f, 0x8b, 0, 0]))
        .expect(415);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    });

    it('50,000 levels deep → 400 json-too-deep (arrays) or 413 (objects, over the limit)', async () => {
      const arrays = '['.repeat(50_000) + ']'.repeat(50_000);
      const big = await request(app.getHttpServer())
        .post('/trajectories')
        .set('Content-Type', 'application/json')
        .send(arrays)
        .expect(413);
      expect(big.headers['content-type']).toMatch(PROBLEM_JSON);
      const res = await post(`{"clientRef":${'['.repeat(40)}${']'.repeat(40)}}`).expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        status: 400,
        type: 'https://ketenlink.nl/problems/json-too-deep',
      });
    });

    it('NUL and lone surrogates → 400 naming the field by JSON pointer', async () => {
      const res = await post(
        '{"clientRef":"c\\u0000","priority":1,"address":{"postcode":"\\ud800"},"previous":[{"postcode":"\\udfff"}]}',
      ).expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        type: 'https://ketenlink.nl/problems/validation-error',
        status: 400,
        detail: 'Invalid field(s): /clientRef, /address/postcode, /previous/0/postcode',
      });
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
        '/clientRef',
        '/address/postcode',
        '/previous/0/postcode',
      ]);
    });

    it.each([
      [{ ...valid, previous: null }, '/previous'],
      [{ ...valid, clientRef: null }, '/clientRef'],
      [{ ...valid, address: null }, '/address'],
    ])('null → 400 (%j)', async (body, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([
        { pointer, message: 'must not be null (leave the field out instead)' },
      ]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'a %s key is refused like any unknown field',
      async (key) => {
        const res = await post(
          `{"clientRef":"c-1","priority":2,"address":{"postcode":"1","${key}":{"x":1}}}`,
        ).expect(400);
        expect(res.body.errors).toEqual([
          { pointer: `/address/${key}`, message: `property ${key} should not exist` },
        ]);
      },
    );

    it('8 hostile bodies at once leave the event loop free (a GET answers quickly)', async () => {
      const server = app.getHttpServer();
      const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
      const hostile = Array.from({ length: 8 }, () => post(`{"clientRef":${'['.repeat(500)}`));
      const started = performance.now();
      const [probe] = await Promise.all([
        request(server).get('/trajectories/conflict'),
        ...hostile,
        post(deep),
      ]);
      expect(probe!.status).toBe(409);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  });

  describe("Node's own client errors", () => {
    const raw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = app.getHttpServer().address() as AddressInfo;
        const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.on('data', (d) => (answer += d.toString('latin1')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });

    it('a malformed request line → 400 problem+json', async () => {
      const answer = await raw('NOT HTTP AT ALL\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
        status: 400,
        type: 'https://ketenlink.nl/problems/bad-request',
      });
    });

    it('headers too large → 431 problem+json', async () => {
      const answer = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ status: 431 });
    });
  });
});
