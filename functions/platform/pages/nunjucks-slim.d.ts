/** Nunjucks' runtime-only build: the same API as `nunjucks`, without the compiler. */
declare module 'nunjucks/browser/nunjucks-slim.js' {
  import nunjucks from 'nunjucks';
  export default nunjucks;
}
