import { describe, expect, it } from 'vitest';
import { logFormat, telemetrySettings } from '../../src/telemetry/index.js';
import { genAiModel } from '../../src/telemetry/gen-ai.js';

describe('telemetrySettings (the standard OTEL_* variables)', () => {
  it('is off with no endpoint, and with OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(telemetrySettings({})).toBeUndefined();
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBeUndefined();
  });

  it('turns each signal on by its endpoint and off by OTEL_*_EXPORTER=none', () => {
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ traces: true, metrics: true, captureContent: false, warnings: [] });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toMatchObject({ traces: true, metrics: false });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://collector:4318/v1/metrics' })).toMatchObject({ traces: false, metrics: true });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_METRICS_EXPORTER: 'none' })).toMatchObject({ traces: true, metrics: false });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' })).toBeUndefined();
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'otlp,none' })).toMatchObject({ traces: true });
  });

  it('captures content only when asked, and says that gRPC is not spoken', () => {
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' })?.captureContent).toBe(true);
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })?.warnings).toEqual([expect.stringContaining('sop exports OTLP over HTTP (JSON)')]);
  });
});

describe('logFormat (--log-format, SOP_LOG_FORMAT)', () => {
  it('takes the flag, else the variable, else human; refuses an unknown variable naming it', () => {
    expect(logFormat(undefined, {})).toBe('human');
    expect(logFormat(undefined, { SOP_LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormat('human', { SOP_LOG_FORMAT: 'json' })).toBe('human');
    expect(() => logFormat(undefined, { SOP_LOG_FORMAT: 'logfmt' })).toThrow(/SOP_LOG_FORMAT=logfmt: expected one of human, json/);
  });
});

describe('genAiModel (gen_ai.provider.name, gen_ai.request.model)', () => {
  it('splits a model key; sop\'s own models are providers of their own', () => {
    expect(genAiModel('openai:gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(genAiModel('ollama:llama3.2:8b')).toEqual({ provider: 'ollama', model: 'llama3.2:8b' });
    expect(genAiModel('offline')).toEqual({ provider: 'sop.offline', model: 'offline' });
    expect(genAiModel('script:answers.yaml')).toEqual({ provider: 'sop.script', model: 'script' });
  });
});
