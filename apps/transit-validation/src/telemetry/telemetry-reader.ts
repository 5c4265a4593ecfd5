import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsRegistry } from '@onecard/kernel';
import { Reading, readTelemetry, TelemetryField } from './telemetry';

const FIELDS: TelemetryField[] = ['lng', 'lat', 'course', 'speed', 'software_ver'];

/**
 * Reads telemetry fields (see telemetry.ts) and counts every value that was not a plain number
 * in range, so operators see which firmware sends what without any call being refused:
 * `transit_telemetry_converted_total{field}` (another notation, read as a number) and
 * `transit_telemetry_unparsed_total{field}` (kept as text only).
 */
@Injectable()
export class TelemetryReader {
  private readonly converted: Record<TelemetryField, Counter.Internal>;
  private readonly unparsed: Record<TelemetryField, Counter.Internal>;

  constructor(metrics: MetricsRegistry) {
    const converted = metrics.counter('transit_telemetry_converted_total', 'Telemetry values in another notation (NMEA, hemisphere letter …) read as a number, by field', ['field']);
    const unparsed = metrics.counter('transit_telemetry_unparsed_total', 'Telemetry values out of range or not a number, stored as sent without a number, by field', ['field']);
    // Children bound once: the hot path pays no label lookup.
    this.converted = Object.fromEntries(FIELDS.map((f) => [f, converted.labels({ field: f })])) as Record<TelemetryField, Counter.Internal>;
    this.unparsed = Object.fromEntries(FIELDS.map((f) => [f, unparsed.labels({ field: f })])) as Record<TelemetryField, Counter.Internal>;
  }

  read(field: TelemetryField, sent: unknown): Reading {
    const reading = readTelemetry(field, sent);
    if (reading.notation === 'converted') this.converted[field].inc();
    else if (reading.notation === 'unparsed') this.unparsed[field].inc();
    return reading;
  }
}
