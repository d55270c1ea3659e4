<?php
/**
 * Deleting the plugin removes its settings (on every site of a network). Posts keep their
 * blocks, which then show nothing, and their shortcodes, which then show as text.
 *
 * @package CivicKit
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

$civickit_forget = static function (): void {
	delete_option( 'civickit_server' );
	delete_option( 'civickit_tenant' );
};

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $civickit_site ) {
		switch_to_blog( $civickit_site );
		$civickit_forget();
		restore_current_blog();
	}
} else {
	$civickit_forget();
}
