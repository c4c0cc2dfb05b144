import type { AgentConfig } from '../../config';
import type { OutcomeStore } from '../../database/outcomes/OutcomeStore';
import { fitRecalibration, RECALIBRATION, Recalibration } from './recalibrate';

/** How long a fit is used before the outcomes are read again. */
const REFIT_MS = 5 * 60_000;

/**
 * This installation's recalibration, fitted from its recorded outcomes and read again at most
 * every five minutes (a pass diagnoses many anomalies; outcomes change a few times a day).
 */
export class OutcomeRecalibrator {
  private fitted?: { at: number; recalibration: Recalibration };

  constructor(
    private readonly options: {
      outcomes: Pick<OutcomeStore, 'labelledConfidences'>;
      now?: () => number;
    },
  ) {}

  /** The recalibrator, or none when `productOs.agent.outcomes.recalibrate` is false. */
  static fromConfig(
    config: Pick<AgentConfig, 'outcomes'>,
    outcomes: Pick<OutcomeStore, 'labelledConfidences'>,
  ): OutcomeRecalibrator | undefined {
    return config.outcomes.recalibrate
      ? new OutcomeRecalibrator({ outcomes })
      : undefined;
  }

  async current(): Promise<Recalibration> {
    const now = (this.options.now ?? Date.now)();
    if (this.fitted && now - this.fitted.at < REFIT_MS)
      return this.fitted.recalibration;
    const recalibration = fitRecalibration(
      await this.options.outcomes.labelledConfidences(RECALIBRATION.history),
    );
    this.fitted = { at: now, recalibration };
    return recalibration;
  }
}
