import type { PackageSources } from '../../domain/package';

/**
 * The package's sources from plan reviews, as this service projected them (the current plan
 * with its early-warning plan, the current risk assessment). Titles and conditions come from
 * the trajectory facts; the closing report from the handover itself.
 */
export abstract class PackageSourcesStore {
  abstract sourcesOf(trajectoryId: string): Promise<Omit<PackageSources, 'titles'>>;
}
