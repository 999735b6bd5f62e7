export {
  CATALOGUE_FILES,
  FOOTBALL_SUBCATEGORY,
  seedCatalogue,
  type CatalogueSummary,
  type SeedCatalogueOptions,
  type SeedLogger,
} from './catalogue.ts';
export { CONCERT_EXTERNAL_ID, CONCERT_LISTINGS_SOURCE } from './concert.ts';
export { TICKPICK_SOURCE } from './market-prices.ts';
export {
  DEMO_COPY_SOURCE_PREFIX,
  DEMO_EXTERNAL_ID_PREFIX,
  shiftIntoFuture,
} from './demo-events.ts';
export {
  DEMO_EMAIL_DOMAIN,
  DEMO_PASSWORD,
  seedDemo,
  type DemoSummary,
  type SeedDemoOptions,
} from './demo.ts';
export { sectionTierOf, type SectionTier } from './section-tier.ts';
