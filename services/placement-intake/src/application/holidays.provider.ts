import type { Provider } from '@nestjs/common';
import type { IsPublicHoliday } from '../domain/working-days';
import { dutchPublicHolidays } from '../infrastructure/dutch-public-holidays';

export const IS_PUBLIC_HOLIDAY = Symbol('IS_PUBLIC_HOLIDAY');
export type { IsPublicHoliday };

export const publicHolidaysProvider: Provider = {
  provide: IS_PUBLIC_HOLIDAY,
  useFactory: dutchPublicHolidays,
};
