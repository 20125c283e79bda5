import type { DivergenceReport } from '../../engine/train';
import type { NonFiniteReportDto } from '../../shared/runs';

/**
 * The engine's divergence report as the renderer and divergence.json see it: where it went wrong
 * first, the parameter involved (one already non-finite, else the first non-finite gradient), the
 * time step whose hidden state blew up, and the engine's sentence.
 */
export function divergenceDto(report: DivergenceReport): NonFiniteReportDto {
  return {
    where: report.cause,
    parameter: report.parameter?.name ?? report.gradient?.name ?? null,
    timeStep: report.hidden?.step ?? null,
    message: report.message,
  };
}
