/** Where the explorer's page loads its code from; every file of the bundle is served under it. */
export const EXPLORER_ASSETS_PATH = '/explorer/assets';
