// Placeholder: replaced by the webhook handler (POST /v1/events).
export const handler = async () => ({ statusCode: 501, body: '' });
