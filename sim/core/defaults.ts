// Defaults the CLI needs without loading the simulator (its --help stays fast).

/** simulated seconds per real second */
export const DEFAULT_TIME_SCALE = 100;
