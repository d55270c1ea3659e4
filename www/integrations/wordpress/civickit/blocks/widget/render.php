<?php
/**
 * The block on the page (block.json's "render"); WordPress passes `$attributes`.
 *
 * @package CivicKit
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// render() escapes every value; the wrapper attributes come escaped from WordPress.
echo \CivicKit\render( $attributes, get_block_wrapper_attributes() ); // phpcs:ignore WordPress.Security.EscapeOutput
