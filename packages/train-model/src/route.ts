/** Routes come from @rail/track (`deriveRoute(layout)`); the physics core reads only their type. */
export type { Route, RouteStep } from '@rail/track';
