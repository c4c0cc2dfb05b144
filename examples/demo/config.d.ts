export interface Config {
  productOs?: {
    /** The demo: example services that send traffic to this backend. Never enable in production. */
    demo?: {
      /**
       * Runs the demo traffic generator, and labels the Product OS pages as demo data.
       * @visibility frontend
       */
      enabled?: boolean;
      /** Days of history sent at the first start, so trends have a baseline. Default 4. */
      backfillDays?: number;
      /** How often live traffic is sent, in seconds. Default 10. */
      tickSeconds?: number;
      /** The scripted bad deploy, played once per database. */
      badDeploy?: {
        /** Seconds after the history is sent. Default 60. */
        delaySeconds?: number;
        /** Seconds from the deploy to the downstream PagerDuty incident. Default 40. */
        incidentDelaySeconds?: number;
        /** Minutes until checkout-api is rolled back. Default 30. */
        durationMinutes?: number;
      };
    };
  };
}
