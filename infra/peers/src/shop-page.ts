/**
 * The shop a browser library is embedded in, as a site owner writes it: every page calls
 * `page()`; the product page tracks `Product Viewed`; the order confirmation identifies the
 * buyer and tracks `Order Completed` with revenue. The same page for Segment's and
 * RudderStack's browser libraries, whose `page`, `track` and `identify` take the same arguments.
 */
import { orderOf, PRODUCT } from './journey.js';

export interface ShopPage {
  /** The script tags and inline loader that create `window[global]`. */
  loader: string;
  /** The global the loader creates: `analytics` or `rudderanalytics`. */
  global: string;
}

/** Who is buying, set on a browser context with `addInitScript` before the pages load. */
export interface Shopper {
  userId: string;
  email: string;
  orderId: string;
}

export function shopHtml({ loader, global }: ShopPage): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Trail Shop</title>
${loader}
<script>
  (function () {
    var lib = window.${global};
    var path = location.pathname;
    var shopper = window.shopper || {};
    document.title = path.indexOf('/products/') === 0 ? 'Trail Shoe' : path === '/checkout/complete' ? 'Thank you' : 'Trail Shop';
    lib.page();
    if (path.indexOf('/products/') === 0) lib.track('Product Viewed', ${JSON.stringify(PRODUCT)});
    if (path === '/checkout/complete') {
      lib.identify(shopper.userId, { email: shopper.email });
      var order = ${JSON.stringify(orderOf('ORDER_ID'))};
      order.order_id = shopper.orderId;
      lib.track('Order Completed', order);
    }
  })();
</script></head>
<body>
  <a id="product" href="/products/${PRODUCT.product_id}">${PRODUCT.name}</a>
  <a id="buy" href="/checkout/complete">Buy now</a>
</body></html>`;
}
