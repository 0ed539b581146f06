// Placeholder: replaced by the timer handler that EventBridge Scheduler invokes.
export const handler = async () => undefined;
