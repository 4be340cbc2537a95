;;; emacs_check.el --- run by tests/test_editors.py  -*- lexical-binding: t; -*-
;; emacs --batch -q -l emacs_check.el BPO_EL FILE
;; Loads editors/emacs/bpo.el, opens FILE, lets eglot start `bpo lsp' as the user's hook would,
;; waits for the server's diagnostics (flymake) and prints what Emacs ended up with, one fact
;; a line: the major mode, the comment syntax, the server's name, then each diagnostic.
(load (pop command-line-args-left))
(find-file (pop command-line-args-left))
(eglot-ensure)
(run-hooks 'post-command-hook)  ; eglot-ensure starts the server after the command, as in a session
(let ((deadline (+ (float-time) 60)))
  (while (and (< (float-time) deadline)
              (not (and (eglot-current-server) (flymake-diagnostics))))
    (accept-process-output nil 0.1)))
(princ (format "mode: %s\n" major-mode))
(princ (format "comment: %S\n" comment-start))
(princ (format "indent: %s\n" (if indent-tabs-mode "tabs" "spaces")))
(princ (format "server: %S\n" (and (eglot-current-server) (process-command (jsonrpc--process (eglot-current-server))))))
(dolist (d (flymake-diagnostics))
  (princ (format "diagnostic: %d: %s\n"
                 (line-number-at-pos (flymake-diagnostic-beg d))
                 (car (split-string (flymake-diagnostic-text d) "\n")))))
