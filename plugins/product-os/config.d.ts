export interface Config {
  productOs?: {
    demo?: {
      /**
       * Set when the backend runs the demo (examples/demo): the Product OS pages then say that
       * what they show is demo data.
       * @visibility frontend
       */
      enabled?: boolean;
    };
  };
}
