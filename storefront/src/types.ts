// The shapes the page reads, from contracts/openapi/*.yaml (only the fields it uses).

export interface Money { amount: number; currency: string }
export interface Reason { code: string; message: string }

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; detail: string }[];
  readiness?: Blocker[];
  [k: string]: unknown;
}

// Cart (cart.yaml)
export interface LineWarranty { warranty_id: string; kind: string; name: string; price: Money }
export interface LinePromotion {
  promotion_id: string; name: string; code: string | null; discount: Money; lowest_price_30d: Money | null;
}
export interface CartLine {
  item_id: string;
  type: 'offer' | 'accessory' | 'service';
  sku: string;
  name: string;
  category: string;
  unit_price: Money;
  quantity: number;
  parent_item_id: string | null;
  line_total: Money;
  children: string[];
  stock_status: 'unknown' | 'in_stock' | 'low_stock' | 'out_of_stock';
  enrichment: 'pending' | 'enriched';
  price_change: { old_unit_price: Money; new_unit_price: Money } | null;
  validation: 'validated' | 'not_yet_validated';
  warranties: LineWarranty[];
  promotions: LinePromotion[];
}
export interface CartView {
  session_id: string | null;
  version: number;
  item_count: number;
  line_count: number;
  subtotal: Money;
  lines: CartLine[];
  notices: { item_id: string; sku: string; name: string; reason: Reason }[];
}
export interface LineResponse { line: CartLine; cart_version: number }

// Warranty (warranty.yaml)
export interface WarrantyOffer {
  warranty_id: string; kind: string; name: string; duration_months: number; unit_price: Money; price: Money; selected: boolean;
}
export interface WarrantyUnavailable { warranty_id: string; kind: string; name: string; reason: Reason }
export interface AvailableWarranties {
  version: number; item_id: string; manufacturer_warranty_months: number;
  offers: WarrantyOffer[]; unavailable: WarrantyUnavailable[]; selected: { warranty_id: string; kind: string }[];
}
export interface LineSelection { version: number; item_id: string; selected: { warranty_id: string; kind: string }[] }

// Services (services.yaml)
export interface ServiceOffer {
  sku: string; code: string; name: string; kind: 'service_item' | 'service_standalone';
  price: Money; available: boolean; max_quantity: number; reason: Reason | null;
}
export interface AvailableServices {
  session_id: string | null;
  delivery_method: string | null;
  items: { item_id: string; sku: string; services: ServiceOffer[] }[];
  standalone: ServiceOffer[];
}

// Shipping (shipping.yaml)
export interface ShippingMethod {
  id: string; name: string; destination: 'address' | 'parcel_locker' | 'store'; available: boolean;
  price: Money; free: boolean; estimate: { min_working_days: number; max_working_days: number };
  cash_on_delivery: boolean; has_calendar: boolean; reasons: Reason[];
}
export interface AvailableShipping { session_id: string | null; selected_method: string | null; methods: ShippingMethod[] }
export interface Address {
  first_name: string; last_name: string; company_name?: string | null; street: string; building_number: string;
  apartment_number: string | null; postal_code: string; city: string; country_code: string; phone: string;
  floor?: number | null; has_elevator?: boolean | null;
}
export interface Locker { locker_id: string; first_name: string; last_name: string; phone: string }
export interface ShippingSelection {
  session_id: string | null;
  version: number;
  method: { id: string; name: string; price: Money; cash_on_delivery: boolean; destination: string } | null;
  address: Address | null;
  parcel_locker: Locker | null;
  delivery: { date: string; postal_code: string; time_window: { from: string; to: string } | null } | null;
  addons: { id: string; name: string; price: Money }[];
  addons_total: Money;
}
export interface CalendarDay {
  date: string; available: boolean; reason: string | null; holiday: string | null;
  windows: ({ from: string; to: string } | null)[]; addons: string[];
}
export interface Calendar {
  method: string; postal_code: string; region: string; stale: boolean; age_seconds: number; fetched_at: string;
  days: CalendarDay[];
}

// Payment (payment.yaml)
export interface PaymentMethod {
  id: string; name: string; kind: 'online' | 'cash_on_delivery'; gateway: string | null; channel: string;
  blik_code: boolean; fee?: Money; selected?: boolean; reason?: Reason;
}
export interface AvailablePayment {
  session_id: string | null; version: number; methods: PaymentMethod[]; unavailable: PaymentMethod[];
  selected: PaymentMethod | null;
}
export interface PaymentChoice { version: number; selected: PaymentMethod | null }
export interface Attempt {
  transaction_id: string; order_id: string; method_id: string; state: string; redirect_url: string | null;
  failure_reason: unknown;
}

// Promotion (promotion.yaml)
export interface AppliedPromotion {
  promotion_id: string; name: string; kind?: string; code: string | null; discount: Money; free_delivery: boolean;
  allocations: { item_id: string; sku?: string; amount: Money; lowest_price_30d: Money | null }[];
}
export interface AvailablePromotions {
  session_id: string | null; version: number; applied: AppliedPromotion[]; total_discount: Money;
  near_misses: { promotion_id: string; name: string; reason: Reason }[];
  opt_in: { promotion_id: string; name: string; chosen: boolean }[];
  codes: string[];
}

// Checkout (checkout.yaml)
export type Component = 'cart' | 'warranty' | 'shipping' | 'payment' | 'promotion' | 'checkout';
export type Versions = Record<Component, number>;
export interface Blocker { code: string; message: string; item_id?: string; consent_id?: string }
export interface SessionConsent {
  consent_id: string; required: boolean; text_version: string; title: string; text: string; granted: boolean;
}
export interface OrderBrief {
  order_id: string; order_number: string;
  status: 'awaiting_payment' | 'payment_failed' | 'paid' | 'confirmed' | 'cancelled';
  grand_total: Money;
  payment: { method_id: string; online: boolean; gateway: string | null; transaction_id: string | null; redirect_url: string | null };
  hold_until: string | null; created_at: string | null; updated_at: string | null;
}
export interface Order extends OrderBrief {
  history: { from: string | null; to: string; cause: string; at: string }[];
  order: Record<string, unknown> | null;
}
export interface Summary {
  session_id: string | null;
  state: 'empty' | 'open' | 'ordered';
  versions: Versions;
  lines: {
    item_id: string; type: string; sku: string; name: string; quantity: number; unit_price: Money; line_total: Money;
    parent_item_id: string | null; validation: string;
    warranties: { plan_id: string; name: string; price: Money }[];
    price_change: { old_unit_price: Money; new_unit_price: Money } | null;
  }[];
  delivery: {
    method: { method_id: string; name: string; price: Money; destination: string; delivery_date_required: boolean } | null;
    cleared: Reason | null;
    address: Address | null;
    parcel_locker: Locker | null;
    day: { date: string; surcharge: Money } | null;
    free_delivery: boolean;
    addons: { addon_id: string; name: string; price: Money }[];
  };
  payment: { method: { method_id: string; gateway: string | null; fee: Money } | null; cleared: Reason | null };
  promotions: {
    applied: AppliedPromotion[];
    refused_code: { code: string; reason: string; message: string } | null;
  };
  customer_data: {
    customer: { email: string; phone: string; first_name: string; last_name: string };
    invoice: null | {
      type: 'personal' | 'company'; company_name: string | null; nip: string | null; street: string;
      building_number: string; apartment_number: string | null; postal_code: string; city: string;
    };
  } | null;
  consents: SessionConsent[];
  totals: {
    lines_total: Money; warranties_total: Money; shipping_total: Money; payment_fee: Money;
    discount_total: Money; grand_total: Money; vat: { rate: string; net: Money; vat: Money; gross: Money }[];
  };
  readiness: Blocker[];
  ready: boolean;
  order?: OrderBrief | null;
  freshness?: { complete: boolean; waiting_for: { component: Component; wanted: number; have: number }[] };
}
export interface VersionedSummary { version: number; summary: Summary }
