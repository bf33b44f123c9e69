// Clean.
export const balancer = 1;
