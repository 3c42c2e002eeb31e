import { resolveTelemetryConfig } from './telemetry';

describe('resolveTelemetryConfig', () => {
  it('defaults to Zipkin on 127.0.0.1:9411 and no metrics push', () => {
    expect(resolveTelemetryConfig({})).toEqual({
      tracesExporter: 'zipkin',
      metricsExporter: 'none',
      zipkinEndpoint: 'http://127.0.0.1:9411/api/v2/spans',
    });
  });

  it('appends the spans path to ZIPKIN_URL once', () => {
    for (const url of [
      'http://zipkin:9411',
      'http://zipkin:9411/',
      'http://zipkin:9411/api/v2/spans',
    ]) {
      expect(resolveTelemetryConfig({ ZIPKIN_URL: url }).zipkinEndpoint).toBe(
        'http://zipkin:9411/api/v2/spans',
      );
    }
  });

  it('pushes metrics over OTLP when traces go over OTLP, unless told otherwise', () => {
    expect(resolveTelemetryConfig({ KETENLINK_TRACES_EXPORTER: 'OTLP' })).toEqual({
      tracesExporter: 'otlp',
      metricsExporter: 'otlp',
    });
    expect(
      resolveTelemetryConfig({
        KETENLINK_TRACES_EXPORTER: 'otlp',
        KETENLINK_METRICS_EXPORTER: 'none',
      }).metricsExporter,
    ).toBe('none');
    expect(resolveTelemetryConfig({ KETENLINK_TRACES_EXPORTER: 'none' }).tracesExporter).toBe(
      'none',
    );
  });

  it('refuses an unknown exporter', () => {
    expect(() => resolveTelemetryConfig({ KETENLINK_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /KETENLINK_TRACES_EXPORTER=jaeger/,
    );
  });
});
