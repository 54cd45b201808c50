// Polish formatting of money and dates. Money is integer grosze: formatted with integer division
// and remainder, never through floating point. The thousands separator and the space before "zł"
// are ordinary spaces (U+0020); CSS (`.money { white-space: nowrap }`) keeps an amount on one line.

const THOUSANDS = ' ';

/** 329900 -> "3 299,00 zł"; -5000 -> "-50,00 zł". Throws on a non-integer (a bug upstream). */
export function formatMoney(grosze: number): string {
  if (!Number.isSafeInteger(grosze)) throw new Error(`money must be integer grosze, got ${grosze}`);
  const negative = grosze < 0;
  const abs = negative ? -grosze : grosze;
  const zl = Math.trunc(abs / 100);
  const gr = abs % 100;
  const digits = String(zl);
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    const fromEnd = digits.length - i;
    grouped += digits[i];
    if (fromEnd > 1 && fromEnd % 3 === 1) grouped += THOUSANDS;
  }
  return `${negative ? '-' : ''}${grouped},${gr < 10 ? '0' : ''}${gr} zł`;
}

const WEEKDAYS = ['niedziela', 'poniedziałek', 'wtorek', 'środa', 'czwartek', 'piątek', 'sobota'];
// Month names in the genitive, as a date is read ("10 grudnia").
const MONTHS = [
  'stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca',
  'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia',
];

function parseIsoDate(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** "2026-12-10" -> "czwartek, 10 grudnia 2026" (a calendar day: no time zone involved). */
export function formatDay(date: string): string {
  const { y, m, d } = parseIsoDate(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]}, ${d} ${MONTHS[m - 1]} ${y}`;
}

/** The weekday of a calendar day: 0 Sunday .. 6 Saturday. */
export function weekdayOf(date: string): number {
  const { y, m, d } = parseIsoDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** An instant, as the shop's customers read it in Warsaw: "czwartek, 10 grudnia 2026, 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${formatDay(`${get('year')}-${get('month')}-${get('day')}`)}, ${get('hour')}:${get('minute')}`;
}

/** "1 sztuka", "2 sztuki", "5 sztuk": Polish plural forms. */
export function plural(n: number, one: string, few: string, many: string): string {
  if (n === 1) return one;
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 >= 2 && mod10 <= 4 && !(mod100 >= 12 && mod100 <= 14)) return few;
  return many;
}

export const CATEGORY_NAMES: Record<string, string> = {
  tv: 'Telewizory',
  fridge: 'Lodówki',
  washing_machine: 'Pralki',
  dishwasher: 'Zmywarki',
  laptop: 'Laptopy',
  phone: 'Telefony',
  furniture: 'Meble',
  accessory: 'Akcesoria',
  service: 'Usługi',
};

export const ORDER_STATUS_NAMES: Record<string, string> = {
  awaiting_payment: 'Oczekuje na płatność',
  payment_failed: 'Płatność nieudana',
  paid: 'Opłacone',
  confirmed: 'Potwierdzone',
  cancelled: 'Anulowane',
};
