interface Product {
  sku: string;
  images: Array<{ url: string }>;
}

/** The hero image of a product page; some catalog entries arrive without images. */
export function heroImageUrl(product: Product): string {
  return product.images[0].url;
}
