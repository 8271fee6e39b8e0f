import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@/lib/platform/settings';
import { fieldsOf, parseSettingsFields } from '@/lib/view/settings-form';

const fields = fieldsOf(DEFAULT_SETTINGS);

describe('settings form', () => {
  it('shows the settings as fields: lead time, then the later reminders', () => {
    expect(fields).toEqual({
      leadTimeDays: '30',
      reminders: '7, 1',
      syncIntervalHours: '6',
      csvSeparator: ';',
      language: 'auto',
    });
    expect(parseSettingsFields(fields)).toEqual({ settings: DEFAULT_SETTINGS });
  });

  it('makes the thresholds from the lead time and the reminders, furthest first, once each', () => {
    const parsed = parseSettingsFields({ ...fields, leadTimeDays: '45', reminders: '1; 14 7,7', language: 'en' });
    expect(parsed).toEqual({
      settings: { ...DEFAULT_SETTINGS, leadTimeDays: 45, thresholds: [45, 14, 7, 1], language: 'en' },
    });
    expect(parseSettingsFields({ ...fields, reminders: '' })).toMatchObject({ settings: { thresholds: [30] } });
  });

  it('names each wrong field', () => {
    expect(parseSettingsFields({ ...fields, leadTimeDays: '0' })).toEqual({
      errors: { leadTimeDays: 'options_error_days' },
    });
    expect(parseSettingsFields({ ...fields, leadTimeDays: '' })).toEqual({
      errors: { leadTimeDays: 'options_error_days' },
    });
    expect(parseSettingsFields({ ...fields, reminders: '7, demain' })).toEqual({
      errors: { reminders: 'options_error_reminders' },
    });
    expect(parseSettingsFields({ ...fields, reminders: '30, 7' })).toEqual({
      errors: { reminders: 'options_error_reminders_order' },
    });
    expect(parseSettingsFields({ ...fields, syncIntervalHours: '5', csvSeparator: '|', language: 'de' })).toEqual({
      errors: {
        syncIntervalHours: 'options_error_choice',
        csvSeparator: 'options_error_choice',
        language: 'options_error_choice',
      },
    });
  });
});
