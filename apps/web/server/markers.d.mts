export const CLIENT_ADDRESS_HEADER: 'x-ikb-client-address';
export const PROXY_SECRET_HEADER: 'x-ikb-proxy-secret';
export const SERVED_BY_OWN_SERVER: unique symbol;
