<?php
/**
 * The plugin's two settings and their rules, shared by the settings page and the widgets.
 *
 * @package CivicKit
 */

namespace CivicKit;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The civickit server's origin, e.g. `https://buerger.example.de`. */
const OPTION_SERVER = 'civickit_server';
/** The town's short name (tenant slug) used where a block or shortcode names none. */
const OPTION_TENANT = 'civickit_tenant';

/**
 * Whether `$value` is a short name as civickit gives towns and polls: lowercase letters,
 * digits and dashes, not starting or ending with a dash, at most 64 characters.
 */
function is_short_name( string $value ): bool {
	return strlen( $value ) <= 64 && 1 === preg_match( '/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/D', $value );
}

/**
 * The origin in `$url` (`scheme://host[:port]`), or null if `$url` is not a plain http(s)
 * address. The loader takes the API from its own origin, so a path would not work; user,
 * query and fragment have no business in a script address.
 */
function server_origin( string $url ): ?string {
	$url = trim( $url );
	if ( '' === $url || preg_match( '/[\s<>"\'\\\\]/', $url ) ) {
		return null;
	}
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['host'] ) || empty( $parts['scheme'] ) ) {
		return null;
	}
	$scheme = strtolower( $parts['scheme'] );
	if ( ! in_array( $scheme, array( 'http', 'https' ), true ) ) {
		return null;
	}
	foreach ( array( 'user', 'pass', 'query', 'fragment' ) as $unwanted ) {
		if ( isset( $parts[ $unwanted ] ) ) {
			return null;
		}
	}
	if ( isset( $parts['path'] ) && '' !== $parts['path'] && '/' !== $parts['path'] ) {
		return null;
	}
	$host = strtolower( $parts['host'] );
	if ( ! preg_match( '/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/D', $host ) ) {
		return null;
	}
	$port = isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '';
	return $scheme . '://' . $host . $port;
}

/** The configured server origin ('' until an administrator sets it). */
function server(): string {
	$stored = (string) get_option( OPTION_SERVER, '' );
	return server_origin( $stored ) ?? '';
}

/** The configured default town ('' if none). */
function default_tenant(): string {
	$stored = (string) get_option( OPTION_TENANT, '' );
	return is_short_name( $stored ) ? $stored : '';
}
