/** One product of the shop's catalog, as the page shows it (price in grosze). */
export interface Product {
  sku: string;
  name: string;
  category: string;
  price: number;
  stock: number;
  flags: string[];
}
