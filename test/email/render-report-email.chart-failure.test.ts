/**
 * A chart renderer that fails (a missing font in a bad bundle, a resvg crash) cannot be produced
 * with the real module here, so this file replaces it with one that throws.
 */
import { describe, expect, it, vi } from 'vitest';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { AdreportError } from '../../src/shared/errors.ts';
import { buildReportData } from '../helpers/report-data.ts';

vi.mock('../../src/email/render-charts.ts', () => ({
  renderSparkline: () => {
    throw new AdreportError('chart_font_missing', 'Chart font DejaVuSans.ttf was not found');
  },
}));

describe('renderReportEmail when charts fail', () => {
  const email = renderReportEmail(buildReportData());

  it('sends the email without images', () => {
    expect(email.images).toEqual([]);
  });

  it('leaves no cid reference behind', () => {
    expect(email.html).not.toContain('cid:');
  });

  it('says why the charts are missing', () => {
    expect(email.text).toContain(
      '- Trend charts could not be drawn: Chart font DejaVuSans.ttf was not found',
    );
  });
});
