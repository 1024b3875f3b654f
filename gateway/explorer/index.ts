export { explorerAssets } from './assets';
export { EXPLORER_ASSETS_PATH } from './paths';
export { explorerBundle, explorerBundleStarted, shareExplorerBundle } from './bundle';
export { EXAMPLE_QUERY, renderExplorerPage, renderIntrospectionDisabledPage } from './page';
