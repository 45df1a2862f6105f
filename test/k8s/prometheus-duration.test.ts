import { validatePrometheusDuration } from '../../src/k8s/prometheus-duration';

const where = 'Thing shop/web';

describe('Prometheus durations', () => {
  test.each(['30s', '1m', '1m30s', '500ms', '1ms', '1y2w3d4h5m6s7ms', '0m1s', '292y'])('accepts %p', (value) => {
    // GIVEN a positive duration WHEN checked THEN it is returned as given
    expect(validatePrometheusDuration(where, 'interval', value)).toBe(value);
  });

  test.each(['', '0', '0s', '0m', '0ms', '0h0m0s', '00s', '0y0w0d0h0m0s0ms'])('refuses the zero duration %p', (value) => {
    // GIVEN a duration of zero WHEN checked THEN it is refused with the fix
    expect(() => validatePrometheusDuration(where, 'interval', value)).toThrow(
      /^Thing shop\/web: interval .* is not a positive Prometheus duration of at most 292 years; use whole numbers with the units/);
  });

  test.each(['-1s', '+1s', '0.0s', '1.5s', '1e3s', '30', 's', '1S', '1h 30m', '1s1m', '1m1m', '1us', '1µs', '1ns', 'P1D', ' 1s'])(
    'refuses the malformed duration %p (hostile: sign, fraction, order, units Prometheus does not know)', (value) => {
      expect(() => validatePrometheusDuration(where, 'interval', value)).toThrow(/is not a positive Prometheus duration/);
    });

  test('refuses a duration beyond what Prometheus holds (int64 nanoseconds)', () => {
    // GIVEN 293 years and a number with many digits WHEN checked THEN both are refused
    for (const value of ['293y', '9223372037s', `${'9'.repeat(40)}ms`]) {
      expect(() => validatePrometheusDuration(where, 'interval', value)).toThrow(/is not a positive Prometheus duration of at most 292 years/);
    }
    // AND the largest whole second Prometheus holds is accepted
    expect(validatePrometheusDuration(where, 'interval', '9223372036s')).toBe('9223372036s');
  });
});
