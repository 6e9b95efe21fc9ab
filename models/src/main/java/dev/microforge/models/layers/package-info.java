/**
 * Network building blocks (DJL blocks) whose gradients are verified on the CPU libtorch we ship:
 * 3x3x3 convolutions with multiples of 16 output channels, resize-convolutions for upsampling and
 * 1x1x1 phase heads.
 */
package dev.microforge.models.layers;
