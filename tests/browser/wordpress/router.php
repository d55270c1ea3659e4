<?php
/**
 * PHP's built-in server in front of WordPress, doing what a web server's rewrite rules do:
 * files and folders that exist are served as they are, every other path (pretty links,
 * /wp-json/) goes to WordPress's index.php.
 */
$civickit_path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( '/' !== $civickit_path && file_exists( $_SERVER['DOCUMENT_ROOT'] . $civickit_path ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
