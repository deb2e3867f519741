/**
 * Every text the widget shows, per language. A store overrides the marketing texts (title, intro, button, consent
 * text, checkbox label and its fine print) with `data-*` attributes; the state messages come from here.
 */
export interface Messages {
  title: string;
  text: string;
  email: string;
  button: string;
  /** Shown under the subscribe form: what submitting it means (stored as the consent evidence). */
  consent: string;
  /** The checkout checkbox's label and fine print (both stored as the consent evidence when it is ticked). */
  label: string;
  checkboxText: string;
  /**
   * State messages, named after the outcomes of a subscription (api.ts `Outcome`). The connector answers every
   * accepted address alike (it never tells who is on the list), so `subscribed` and `pending_confirmation` must be
   * true for everybody: a new reader, someone already subscribed, someone who had unsubscribed.
   */
  invalid: string;
  sending: string;
  subscribed: string;
  pending_confirmation: string;
  network: string;
  retry: string;
  limited: string;
  failed: string;
  close: string;
}

const en: Messages = {
  title: 'Join our newsletter',
  text: 'New arrivals and offers, about twice a month.',
  email: 'Email address',
  button: 'Subscribe',
  consent: 'By subscribing you agree to receive marketing emails from us. You can unsubscribe at any time.',
  label: 'Email me news and offers',
  checkboxText: 'Optional. You can unsubscribe at any time.',
  invalid: 'Enter a valid email address, like name@example-mail.com.',
  sending: 'Subscribing…',
  subscribed: 'Thank you! You are subscribed. (If you had unsubscribed, confirm with the link we email you.)',
  pending_confirmation:
    'Almost done: confirm with the link in the email we send you. Already subscribed? Nothing more to do.',
  network: 'We could not reach the server. Check your connection and try again.',
  retry: 'Try again',
  limited: 'Too many attempts. Please try again in a few minutes.',
  failed: 'Something went wrong. Please try again later.',
  close: 'Close',
};

const de: Messages = {
  title: 'Unser Newsletter',
  text: 'Neuheiten und Angebote, etwa zweimal im Monat.',
  email: 'E-Mail-Adresse',
  button: 'Abonnieren',
  consent:
    'Mit dem Abonnieren willigen Sie ein, Marketing-E-Mails von uns zu erhalten. Sie können sich jederzeit abmelden.',
  label: 'Ja, ich möchte Neuigkeiten und Angebote per E-Mail erhalten',
  checkboxText: 'Freiwillig. Sie können sich jederzeit abmelden.',
  invalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.',
  sending: 'Wird abonniert …',
  subscribed:
    'Vielen Dank! Sie haben den Newsletter abonniert. (Falls Sie sich abgemeldet hatten: Bitte bestätigen Sie über den Link per E-Mail.)',
  pending_confirmation:
    'Fast geschafft: Bitte bestätigen Sie über den Link in unserer E-Mail. Schon abonniert? Dann ist nichts weiter zu tun.',
  network: 'Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  retry: 'Erneut versuchen',
  limited: 'Zu viele Versuche. Bitte versuchen Sie es in einigen Minuten erneut.',
  failed: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es später erneut.',
  close: 'Schließen',
};

export const MESSAGES = {en, de};
export type Lang = keyof typeof MESSAGES;

/** The requested language, else the page's, else the browser's; English when none is in the table. */
export function pickLang(...candidates: Array<string | null | undefined>): Lang {
  for (const candidate of candidates) {
    const lang = (candidate ?? '').slice(0, 2).toLowerCase();
    if (lang in MESSAGES) return lang as Lang;
  }
  return 'en';
}
