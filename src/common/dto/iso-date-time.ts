import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, IsDate, MaxDate, MinDate } from 'class-validator';

/** The range of dates accepted from clients: PostgreSQL and JavaScript both hold it, and so do humans. */
export const EARLIEST_DATE = new Date('1970-01-01T00:00:00.000Z');
export const LATEST_DATE = new Date('9999-12-31T23:59:59.999Z');

/** An ISO 8601 date or date-time (a real calendar day) becomes a Date; anything else stays as sent. */
const toDate = ({ value }: { value: unknown }) => (typeof value === 'string' && isISO8601(value, { strict: true, strictSeparator: true }) ? new Date(value) : value);

/**
 * A date-time from a client: ISO 8601 only (`Date` would also read `1`, `March 7` or a number), a
 * real calendar day, between 1970 and 9999. Year 0 or 275760 would otherwise reach PostgreSQL.
 */
export function IsoDateTime(): PropertyDecorator {
  return applyDecorators(
    Transform(toDate),
    IsDate({ message: ({ property }) => `${property} must be an ISO 8601 date-time, such as 2026-01-31T09:00:00Z` }),
    MinDate(EARLIEST_DATE, { message: ({ property }) => `${property} must not be before 1970-01-01` }),
    MaxDate(LATEST_DATE, { message: ({ property }) => `${property} must not be after 9999-12-31` }),
  );
}
