// Starts the office page: loads the wasm module (its #[wasm_bindgen(start)] mounts the app).
import init from '/office/assets/civickit_office_ui.js';

const boot = document.getElementById('boot');
init({ module_or_path: '/office/assets/civickit_office_ui_bg.wasm' }).then(
  () => boot && boot.remove(),
  (e) => {
    console.error(e);
    if (boot) {
      boot.className = 'form-error';
      boot.textContent = 'Das Office konnte nicht geladen werden. Bitte laden Sie die Seite neu. / The office could not be loaded. Please reload the page.';
    }
  },
);
