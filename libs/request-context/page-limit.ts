import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * `?limit=`: how many items one page of a list holds, a whole number from 1 to `max`; `fallback` when
 * the query leaves it out (the handler applies it; the contract says so).
 */
export function PageLimit(max = 500, fallback = 50): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: fallback }),
    IsOptional(),
    Max(max),
    Min(1),
    IsInt(),
    Type(() => Number),
  );
}
