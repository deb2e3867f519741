/** Word lists the generator draws from: enough variety for realistic-looking stores, nothing more. */

export const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloé', 'Dmitri', 'Elena', 'Finn', 'Grace', 'Hiro', 'Inès', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nora', 'Oskar',
  'Priya', 'Quinn', 'Rosa', 'Sven', 'Tamar', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoë', 'Amara', 'Bruno', 'Céline', 'Diego',
];

export const LAST_NAMES = [
  'Andersen', 'Baker', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'García', 'Hughes', 'Ivanova', 'Jensen', 'Kowalski', 'López',
  'Müller', 'Nakamura', 'O’Brien', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Vasquez', 'Weber', 'Yilmaz', 'Zhang',
];

export const ADJECTIVES = ['Classic', 'Organic', 'Vintage', 'Everyday', 'Premium', 'Handmade', 'Recycled', 'Limited', 'Cozy', 'Bold', 'Slim', 'Rugged'];
export const NOUNS = ['Tee', 'Hoodie', 'Mug', 'Backpack', 'Candle', 'Notebook', 'Scarf', 'Sneakers', 'Beanie', 'Tote Bag', 'Water Bottle', 'Socks', 'Jacket', 'Poster'];
export const VENDORS = ['Northwind Goods', 'Acme Apparel', 'Blue Fern', 'Studio Oak', 'Harbor & Co'];
export const PRODUCT_TYPES = ['Apparel', 'Accessories', 'Home', 'Stationery', 'Footwear'];
export const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
export const COLORS = ['Black', 'White', 'Navy', 'Olive', 'Rust'];
export const CUSTOMER_TAGS = ['wholesale', 'newsletter', 'vip', 'returning', 'b2b', 'influencer'];
export const CODE_WORDS = ['SPRING', 'SUMMER', 'WELCOME', 'FALL', 'WINTER', 'VIP', 'FRIENDS', 'FLASH', 'THANKS', 'BACK'];

export interface Place {
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
}

export const PLACES: Place[] = [
  {city: 'Ottawa', province: 'Ontario', provinceCode: 'ON', country: 'Canada', countryCode: 'CA', zip: 'K2P 2L8'},
  {city: 'Portland', province: 'Oregon', provinceCode: 'OR', country: 'United States', countryCode: 'US', zip: '97205'},
  {city: 'Austin', province: 'Texas', provinceCode: 'TX', country: 'United States', countryCode: 'US', zip: '78701'},
  {city: 'Brooklyn', province: 'New York', provinceCode: 'NY', country: 'United States', countryCode: 'US', zip: '11201'},
  {city: 'Manchester', province: null, provinceCode: null, country: 'United Kingdom', countryCode: 'GB', zip: 'M1 1AE'},
  {city: 'Berlin', province: null, provinceCode: null, country: 'Germany', countryCode: 'DE', zip: '10115'},
  {city: 'Lyon', province: null, provinceCode: null, country: 'France', countryCode: 'FR', zip: '69002'},
  {city: 'Melbourne', province: 'Victoria', provinceCode: 'VIC', country: 'Australia', countryCode: 'AU', zip: '3000'},
];

export const STREETS = ['Maple Ave', 'Harbour St', 'King Rd', 'Elm Court', 'Station Rd', 'Linden Way', 'Rue Centrale', 'Hauptstraße'];
