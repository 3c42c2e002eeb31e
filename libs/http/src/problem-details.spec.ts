import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
} from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { problemType } from './problem-details';
import { ProblemDetailsFilter, toProblem } from './problem-details.filter';
import { ProblemException } from './problem.exception';
import { flattenValidationErrors } from './validation-problem.exception';

describe('problemType', () => {
  it('puts slugs under the Ketenlink base and leaves URIs alone', () => {
    expect(problemType('conflict')).toBe('https://ketenlink.nl/problems/conflict');
    expect(problemType('https://partner.example/p/x')).toBe('https://partner.example/p/x');
    expect(problemType('about:blank')).toBe('about:blank');
  });
});

describe('toProblem', () => {
  it('keeps the message of client errors', () => {
    expect(toProblem(new ConflictException('Title already ended'))).toEqual({
      type: 'https://ketenlink.nl/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Title already ended',
    });
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong'])).detail).toBe(
      'a is wrong; b is wrong',
    );
    expect(toProblem(new HttpException('I am a teapot', 418)).type).toBe('about:blank');
  });

  it('never shows the message of a server error', () => {
    const problem = toProblem(new InternalServerErrorException('connect ECONNREFUSED 10.0.0.5'));
    expect(problem.detail).toBe('An unexpected error occurred.');
    expect(toProblem('thrown string')).toMatchObject({ status: 500 });
  });

  it('does not let extensions overwrite standard members', () => {
    const error = new ProblemException(409, 'x', 'X', 'd', { status: 200, retryAfter: 5 });
    expect(toProblem(error)).toEqual({
      type: 'https://ketenlink.nl/problems/x',
      title: 'X',
      status: 409,
      detail: 'd',
      retryAfter: 5,
    });
    expect(error.getStatus()).toBe(409);
  });
});

describe('flattenValidationErrors', () => {
  it('gives nested and array fields a JSON pointer', () => {
    const errors = flattenValidationErrors([
      { property: 'name', constraints: { isString: 'name must be a string' } },
      {
        property: 'items',
        children: [
          {
            property: '0',
            children: [{ property: 'id', constraints: { isUuid: 'id must be a UUID' } }],
          },
        ],
      },
    ]);
    expect(errors).toEqual([
      { pointer: '/name', message: 'name must be a string' },
      { pointer: '/items/0/id', message: 'id must be a UUID' },
    ]);
  });
});

describe('ProblemDetailsFilter outside HTTP', () => {
  it('hands the exception back to message handlers untouched', async () => {
    const filter = new ProblemDetailsFilter({} as never);
    const error = new Error('poison message');
    const result = filter.catch(error, { getType: () => 'rpc' } as never) as Observable<never>;
    await expect(lastValueFrom(result)).rejects.toBe(error);
  });
});
