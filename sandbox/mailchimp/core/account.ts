/** Who the sandbox's one account belongs to: shared by the API root (GET /3.0/) and the OAuth metadata. */
export const SANDBOX_ACCOUNT = {
  accountName: 'Mailchimp Sandbox',
  email: 'owner@sandbox.invalid',
  username: 'sandbox',
  role: 'owner',
  /** The OAuth metadata's numeric `user_id` and `login.login_id` (Mailchimp's are integers there). */
  userId: 1_000_001,
  loginId: 1_000_001,
} as const;
