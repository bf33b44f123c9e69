// shared-imports-room
import { balancer } from '../../l4lb/index.js';
export const b = balancer;
