export { explorerAssets } from './assets';
export { EXPLORER_ASSETS_PATH, explorerBundle, explorerBundleStarted } from './bundle';
export { EXAMPLE_QUERY, renderExplorerPage, renderIntrospectionDisabledPage } from './page';
