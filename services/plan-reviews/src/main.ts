import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { PlanReviewsAppModule, SERVICE_NAME } from './app.module';
import { PLAN_REVIEWS_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink plan reviews service',
  appModule: PlanReviewsAppModule,
  defaultPort: Number(process.env.PLAN_REVIEWS_PORT ?? 3004),
  migrations: PLAN_REVIEWS_MIGRATIONS,
  consumer: {
    group: SERVICE_NAME,
    topics: [
      CONTEXT_TOPICS.trajectory,
      CONTEXT_TOPICS.placement,
      CONTEXT_TOPICS.agreements,
      CONTEXT_TOPICS.handover,
    ],
  },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'plan-reviews failed to start', err: String(err) }),
  );
  process.exit(1);
});
