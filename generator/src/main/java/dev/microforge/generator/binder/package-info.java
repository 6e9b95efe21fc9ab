/**
 * Carbon-binder domain (CBD) placement: turns pore voxels of a pore/active-material volume into a CBD label until a
 * target CBD volume fraction is reached. {@link dev.microforge.generator.binder.CarbonBinderGrowth} grows CBD by
 * weighted Monte-Carlo attachment (morphology parameter omega, film-like to finger-like, after Mistry et al.);
 * {@link dev.microforge.generator.binder.CarbonBinderBridge} fills the most concave pore voxels (particle necks)
 * first; {@link dev.microforge.generator.binder.BinderCoverage} measures the share of active surface covered by CBD.
 */
package dev.microforge.generator.binder;
